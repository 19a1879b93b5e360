/**
 * Diagnostics for a manifest: YAML errors at their position, fields the model does not understand,
 * unit mistakes in container resources (`resource-units.ts`), pod specs the model rejects (naming
 * the field), "no node fits" warnings with kube-scheduler's summary, and an information note when
 * the pod would preempt others. A diagnostic whose "did you mean" or unit fix can be applied carries
 * it in `data` ({@link FixData}, answered by `code-actions.ts`).
 *
 * Pure: `(text, parsed documents, verdicts, node sizes) → Diagnostic[]`, all with source {@link DIAGNOSTIC_SOURCE}.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestDocument, PodSpecLocation } from '../services/manifest';
import type { SpecVerdict } from './engine';
import { checkPodFields, checkWorkloadFields, type FieldProblem } from './field-check';
import { docFieldRange, fieldEntry, fieldRange } from './field-path';
import { scalarFix, type FixData, type QuickFix } from './quick-fixes';
import { checkResourceUnits, type NodeSizes } from './resource-units';
import type { YamlNode } from './yaml-tree';

/** The one diagnostics source name of the extension. */
export const DIAGNOSTIC_SOURCE = 'kube-forecast';

/** The most diagnostics published per file. */
const MAX_DIAGNOSTICS = 200;

/** A problem with the scheduler configuration in effect, shown at `offset` (a profile comment, or the file start). */
export interface ProfileProblem {
  offset: number;
  length: number;
  message: string;
}

/**
 * Builds the diagnostics of one file. `verdict` returns the prediction of a spec, or undefined without
 * a cluster; `nodes` are the connected cluster's node sizes (left out without a cluster).
 */
export function manifestDiagnostics(
  text: TextDocument,
  docs: readonly ManifestDocument[],
  verdict: (doc: ManifestDocument, spec: PodSpecLocation) => SpecVerdict | undefined,
  profileProblems: readonly ProfileProblem[] = [],
  nodes?: NodeSizes,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const range = (start: number, end: number): Diagnostic['range'] => ({
    start: text.positionAt(start),
    end: text.positionAt(Math.max(end, start + 1)),
  });
  const push = (
    severity: DiagnosticSeverity,
    start: number,
    end: number,
    message: string,
    code?: string,
    fixes: readonly (QuickFix | undefined)[] = [],
  ): void => {
    if (out.length >= MAX_DIAGNOSTICS) return;
    const d: Diagnostic = { severity, range: range(start, end), message, source: DIAGNOSTIC_SOURCE };
    if (code !== undefined) d.code = code;
    const data: FixData = { fixes: fixes.filter((f) => f !== undefined) };
    if (data.fixes.length > 0) d.data = data;
    out.push(d);
  };
  // A field problem: at its key, or at its value when the value is wrong; with its "did you mean" fix.
  const fieldProblem = (p: FieldProblem, from: YamlNode | undefined, fallback: { start: number; end: number }) => {
    const entry = fieldEntry(from, p.field);
    const at = p.at === 'value' ? entry?.value : entry?.keyNode;
    const r = at !== undefined && at.kind === 'scalar' ? at : fallback;
    const fix =
      p.replacement === undefined || at === undefined || at.kind !== 'scalar'
        ? undefined
        : p.at === 'key'
          ? scalarFix(text, at, p.replacement, `Rename to ${p.replacement}`, true, entry?.key)
          : scalarFix(text, at, p.replacement, `Change to ${p.replacement}`, true);
    push(DiagnosticSeverity.Warning, r.start, r.end, `${p.field}: ${p.message}`, 'unknown-field', [fix]);
  };
  for (const p of profileProblems)
    push(DiagnosticSeverity.Error, p.offset, p.offset + p.length, p.message, 'scheduler-config');
  for (const doc of docs) {
    // Once the file has its most diagnostics, the rest would be dropped: check and predict no further.
    if (out.length >= MAX_DIAGNOSTICS) break;
    if (doc.error !== undefined) {
      const at = doc.errorOffset ?? doc.startOffset;
      const lineEnd = text.offsetAt({ line: text.positionAt(at).line + 1, character: 0 });
      push(DiagnosticSeverity.Error, at, Math.max(at + 1, lineEnd - 1), `YAML: ${doc.error}`, 'yaml');
      continue;
    }
    if (doc.problem !== undefined)
      push(DiagnosticSeverity.Warning, doc.startOffset, doc.startOffset + 1, doc.problem, 'limits');
    if (doc.kind !== undefined && doc.object !== undefined) {
      for (const p of checkWorkloadFields(doc.kind, doc.object)) fieldProblem(p, doc.root, docFieldRange(doc, p.field));
    }
    for (const spec of doc.podSpecs) {
      const from = spec.node ?? doc.root;
      for (const p of checkPodFields(spec.template)) fieldProblem(p, from, fieldRange(doc, spec, p.field));
      // Quantities flagged here as invalid are not reported again by the model below.
      const invalid = new Set<string>();
      for (const p of checkResourceUnits(spec.template, nodes)) {
        const value = fieldEntry(from, p.field)?.value;
        const r = value !== undefined && value.kind === 'scalar' ? value : fieldRange(doc, spec, p.field);
        const fixes =
          value === r ? p.fixes.map((f) => scalarFix(text, r, f.value, `Change to ${f.value}`, f.preferred)) : [];
        const error = p.severity === 'error';
        if (error) invalid.add(p.field);
        const severity = error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        push(severity, r.start, r.end, p.message, 'resource-units', fixes);
      }
      const v = verdict(doc, spec);
      if (v === undefined) continue;
      const lens = lensRange(spec);
      for (const e of v.errors ?? []) {
        if (invalid.has(e.field)) continue;
        const r = e.field !== '' ? fieldRange(doc, spec, e.field) : lens;
        push(
          DiagnosticSeverity.Error,
          r.start,
          r.end,
          `Kube Forecast cannot predict this pod: ${e.message}`,
          'invalid-pod',
        );
      }
      const f = v.first;
      if (f === undefined) continue;
      if (f.selectedNode === undefined && f.preemption?.nominatedNode !== undefined) {
        const victims = f.preemption.victims;
        const names = victims
          .slice(0, 5)
          .map((x) => `${x.namespace}/${x.name} (priority ${x.priority})`)
          .join(', ');
        push(
          DiagnosticSeverity.Information,
          lens.start,
          lens.end,
          `Would preempt ${victims.length} pod${victims.length === 1 ? '' : 's'} on ${f.preemption.nominatedNode}: ${names}${victims.length > 5 ? ', …' : ''}. ${f.failure ?? ''}`.trim(),
          'preemption',
        );
      } else if (f.selectedNode === undefined && f.failure !== undefined) {
        push(DiagnosticSeverity.Warning, lens.start, lens.end, `No node fits this pod: ${f.failure}`, 'no-fit');
      } else if (v.placement !== undefined && v.placement.placed < v.placement.requested) {
        const p = v.placement;
        push(
          DiagnosticSeverity.Warning,
          lens.start,
          lens.end,
          `Only ${p.placed} of ${p.requested} replicas fit now: ${p.failure ?? p.error ?? ''}`.trim(),
          'partial-fit',
        );
      } else if (v.daemon !== undefined && v.daemon.pending.length > 0) {
        const d = v.daemon;
        push(
          DiagnosticSeverity.Warning,
          lens.start,
          lens.end,
          `${d.pending.length} daemon pod${d.pending.length === 1 ? '' : 's'} would stay Pending: ${d.pending
            .slice(0, 3)
            .map((p) => `${p.node}: ${p.reason}`)
            .join('; ')}`,
          'partial-fit',
        );
      }
    }
  }
  return out;
}

/** The range of a spec's lens key (`template:` or `spec:`). */
function lensRange(spec: PodSpecLocation): { start: number; end: number } {
  return {
    start: spec.offset,
    end: spec.offset + (spec.path.length === 0 ? 4 : (spec.path[spec.path.length - 1]?.length ?? 1)),
  };
}
