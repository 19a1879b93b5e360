/**
 * `npm run real-cluster:build`: builds the real control plane's binaries into the cache (or finds
 * them there) and prints where they are. `.ci/run` calls it before `npm test`, so the first test that
 * needs the real cluster does not pay for the build. Exit 1, with the reason, when the build fails.
 */
import { ensureBinaries, pruneOldBuilds } from './binaries';

ensureBinaries()
  .then((b) => {
    pruneOldBuilds(b.dir);
    console.log(b.dir);
  })
  .catch((e: unknown) => {
    console.error(`real-cluster build: ${(e as Error).message}`);
    process.exit(1);
  });
