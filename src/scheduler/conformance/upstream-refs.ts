/**
 * Which Kubernetes release each corpus file's upstream ref belongs to, where it matters.
 *
 * Contract: the conformance corpus records, per scenario, the upstream commit its assertions were
 * read at (`source.ref`). A few plugins changed behaviour between releases, so a scenario is run
 * with the model set to the release of its ref. Refs not listed run at the newest modelled release.
 * An entry is a fact about the upstream commit, checked by reading the file at that commit; it
 * never names a scenario.
 */

/** Commit → the release line it precedes or belongs to ("1.35" = before v1.36 changes). */
const REF_RELEASES: Readonly<Record<string, string>> = {
  // balanced_allocation_test.go at this commit still asserts the pre-#135573 formula
  // ("Node1 Score: (1 - 0.125)*MaxNodeScore = 87"), i.e. kube-scheduler before v1.36.
  '00fdb4ffc64976886691c99434ab5b01fa54f8fe': '1.35',
  // taint_toleration_test.go at this commit expects a Gt/Lt parse error as the Filter reason;
  // v1.37.2's taint_toleration.go only logs it (checked against the real scheduler's oracle), so
  // the commit is master after the v1.37 branch.
  '04c0d74f8e8bf18e93a9d8d082b218d3eb4c6395': '1.38',
};

/** The release to model for a scenario read at `ref` ("kubernetes/kubernetes@<sha>"). */
export function releaseForRef(ref: string | undefined): string | undefined {
  const sha = (ref ?? '').split('@')[1] ?? '';
  return REF_RELEASES[sha];
}
