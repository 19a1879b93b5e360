/**
 * The snapshot's cached lists of nodes with affinity pods (`havePodsWithAffinityNodeInfos`,
 * `havePodsWithRequiredAntiAffinityNodeInfos`), kept in node-list order as nodes join and leave them.
 *
 * Contract: pure. `list` is in the order of `positions` (each listed node's index in the node list);
 * the result is `list` itself when `ni`'s membership is already as asked, else a new array with `ni`
 * inserted at its place (`join` true) or removed: arrays handed out earlier are never changed. A node
 * without a position (no Node object) is in no list.
 */
export function withMembership<T>(
  list: readonly T[],
  positions: ReadonlyMap<T, number>,
  ni: T,
  join: boolean,
): readonly T[] {
  const at = positions.get(ni);
  if (at === undefined) return list;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions.get(list[mid]!)! < at) lo = mid + 1;
    else hi = mid;
  }
  if (join === (list[lo] === ni)) return list;
  const copy = list.slice();
  if (join) copy.splice(lo, 0, ni);
  else copy.splice(lo, 1);
  return copy;
}
