"""P2K2 pages: the curriculum (``curriculum``), knowledge checks (``checks``), progress (``progress``)."""
