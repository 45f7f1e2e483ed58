"""The library's version, in a module of its own so that any module may import it
without importing the package (``from ._version import __version__``)."""

__version__ = "0.1.0"
