"""Atomic publish (issue 6 item 5): a run's warehouse, dashboard extract and Data Docs become
current together, with one pointer swap, or not at all.

- a failure injected at every file operation of `Releases.publish` (fresh folder, a folder with
  a current release, and the migration of an earlier Ripple's real files) and at every named
  stage of a real run leaves the previous release current and byte-identical;
- a real `kill -9` of `ripple run` at every stage (RIPPLE_TEST_PAUSE_AT) and after spread-out
  delays leaves a complete, consistent current release, and the next run succeeds;
- a reader process querying the stable paths in a loop while runs publish never sees an error
  and sees each new release without reconnecting anything but its per-query connection;
- old releases are pruned by age since superseded and count, never the current one.
"""
