"""Monitoring: what is built (Marktstammdatenregister snapshots) against the potential and the targets.

- :mod:`potenzial.monitoring.catalog`: the MaStR export's files, elements and catalog values;
- :mod:`potenzial.monitoring.mastr`: the streaming reader of the bulk export, with its checks;
- :mod:`potenzial.monitoring.snapshot`: a dated snapshot (units or per-municipality sums) and the
  sum-level snapshots of the statistics file and the 2015 plant list;
- :mod:`potenzial.monitoring.series`: installed capacity and generation per municipality and
  technology over time, groups, rankings, targets.

Pure calculations: no store, API or CLI here.
"""
