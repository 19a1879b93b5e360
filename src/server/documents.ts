/**
 * The server's open documents and their parsed manifests, cached by `uri@version` so that
 * CodeLens, predictions and diagnostics parse each version once; a new version re-parses only the
 * YAML documents an edit changed (`ManifestCache`). Nothing is kept for a closed document.
 */
import { TextDocuments, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestDocument } from './services/manifest';
import { ManifestCache } from './services/manifest-cache';

/** Open text documents plus a per-version parse cache. */
export class ManifestDocuments {
  /** The LSP document store (kept in sync by `listen`). */
  readonly documents = new TextDocuments(TextDocument);
  private readonly parsed = new Map<string, { version: number; docs: ManifestDocument[]; cache: ManifestCache }>();

  /** Starts tracking documents over `connection`. */
  listen(connection: Connection): void {
    this.documents.onDidClose((e) => this.parsed.delete(e.document.uri));
    this.documents.listen(connection);
  }

  /** The open document, if any. */
  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The parsed manifest of an open document, or undefined when it is not open. */
  manifest(uri: string): ManifestDocument[] | undefined {
    const doc = this.documents.get(uri);
    if (doc === undefined) return undefined;
    const hit = this.parsed.get(uri);
    if (hit !== undefined && hit.version === doc.version) return hit.docs;
    const cache = hit?.cache ?? new ManifestCache();
    const docs = cache.parse(doc.getText());
    this.parsed.set(uri, { version: doc.version, docs, cache });
    return docs;
  }
}
