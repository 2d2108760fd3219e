"""Many compounds at once (街道/区): one summary per compound, a Dask roll-up, the district report."""
