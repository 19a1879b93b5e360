/**
 * How the language server process is started: the Node options the extension passes when it forks
 * `dist/server.js` (src/client/language-client.ts), and that `npm run fuzz:lsp` and the benchmarks
 * pass when they spawn it, so that what is measured is what ships.
 *
 * `--max-semi-space-size=8` caps V8's young generation at 8 MB per semi-space (Node 20 grows it to
 * 16 MB): the server allocates short-lived parse trees and predictions per keystroke, and a 16 MB
 * nursery made the process's RSS saw-tooth by ~50 MB between collections. 4 MB halved the swing
 * again but took about twice the collections and GC time on 1-2 MB manifests (`npm run fuzz:lsp`
 * inputs 9330-9369: 142 scavenges against 76 at 8 MB and 44 at 16 MB; test/lsp-fuzz/README.md).
 * Other editors that run `node dist/server.js --stdio` may pass the same options.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=8'];
