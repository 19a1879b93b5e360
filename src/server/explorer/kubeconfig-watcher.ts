/**
 * Watches kubeconfig files for changes (fs.watch on each file's directory, so editors that replace the
 * file by renaming are seen too), debounced. Contract: `dispose` stops every watcher; errors (a
 * directory that vanished) are ignored; the callback runs at most once per debounce window.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Calls `onChange` (debounced by `debounceMs`) when any of `files` changes. Returns the disposer. */
export function watchKubeconfigFiles(files: readonly string[], onChange: () => void, debounceMs = 300): () => void {
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const names = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(f);
    let set = names.get(dir);
    if (set === undefined) names.set(dir, (set = new Set()));
    set.add(path.basename(f));
  }
  for (const [dir, set] of names) {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, filename) => {
        if (filename !== null && !set.has(filename.toString())) return;
        clearTimeout(timer);
        timer = setTimeout(onChange, debounceMs);
      });
      w.on('error', () => undefined);
      watchers.push(w);
    } catch {
      /* The directory does not exist (any more); nothing to watch. */
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
