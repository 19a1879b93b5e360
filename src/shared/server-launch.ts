/**
 * How the language server process is started: the Node options the extension passes when it forks
 * `dist/server.js` (src/client/language-client.ts), and that `npm run fuzz:lsp` and the benchmarks
 * pass when they spawn it, so that what is measured is what ships. Measured with `npm run fuzz:lsp`
 * (test/lsp-fuzz/README.md):
 *
 * - `--max-semi-space-size=8` caps V8's young generation at 8 MB per semi-space (Node 20 grows it
 *   to 16 MB), which made RSS saw-tooth by ~50 MB between scavenges. 4 MB took about twice the
 *   scavenges and GC time on 1-2 MB manifests (inputs 9330-9369: 142 against 76 at 8 MB, 44 at 16).
 * - `--heap-growing-percent=50` lets the old generation grow by half its live size before the next
 *   full collection, where V8 chose up to 4x: the live heap is ~30 MB, but the garbage of a 2 MB
 *   manifest let the heap, and RSS, wander between 100 and 290 MB (medians of 1,000 inputs); with
 *   it they stayed within 104-117 MB over 5,000 inputs, with no more slow answers.
 *
 * - `--expose-gc` lets the server run one full collection after large lists
 *   (src/cluster/heap-compaction.ts): their garbage otherwise stays resident in an idle server.
 *
 * Other editors that run `node dist/server.js --stdio` may pass the same options.
 */
export const SERVER_EXEC_ARGV: readonly string[] = [
  '--max-semi-space-size=8',
  '--heap-growing-percent=50',
  '--expose-gc',
];
