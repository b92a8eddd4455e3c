"""View pieces shared by page families: citations numbered per page, source cards."""
