"""Builds trailmix's one optional compiled module, `trailmix.formats._tcxfast` (Cython over
lxml's public C API: the TCX reader's channel texts read off lxml's tree without a Python
object per element). Everything else is in pyproject.toml. When the module cannot be built
(no C compiler), the install goes on and the reader uses its pure-Python path, which gives the
same result (tests/formats/test_tcx_fast.py)."""

from __future__ import annotations

from setuptools import Extension, setup


def _extensions() -> list[Extension]:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError:  # built without the build requirements: pure Python
        return []
    module = Extension(
        "trailmix.formats._tcxfast",
        ["src/trailmix/formats/_tcxfast.pyx"],
        include_dirs=lxml.get_include(),
        optional=True,
    )
    return list(cythonize([module], language_level=3, quiet=True))


setup(ext_modules=_extensions())
