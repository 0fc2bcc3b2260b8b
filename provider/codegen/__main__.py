"""``python -m codegen [--check]``: write (or check) every generated file."""

from .python import main

raise SystemExit(main())
