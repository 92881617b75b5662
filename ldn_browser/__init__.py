"""LDN Browser: an offline knowledge browser on low-dose naltrexone for clinicians."""

__version__ = "1.1.0"
