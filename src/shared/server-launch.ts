/**
 * How the language server process is started: the Node options the extension passes when it forks
 * `dist/server.js` (src/client/language-client.ts), and that `npm run fuzz:lsp` and the benchmarks
 * pass when they spawn it, so that what is measured is what ships.
 *
 * `--max-semi-space-size=4` caps V8's young generation at 4 MB per semi-space (Node 20's default
 * grows it to 16 MB): the server allocates short-lived parse trees and predictions per keystroke,
 * and a 16 MB nursery made the process's RSS swing by ~50 MB between collections and stay there
 * (measured with `npm run fuzz:lsp`, test/lsp-fuzz/README.md). Other editors that run
 * `node dist/server.js --stdio` may pass the same options.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];
