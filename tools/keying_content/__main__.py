"""``python -m tools.keying_content [out_dir] [--seed N]``: regenerate the keying tests."""

from tools.keying_content import main

raise SystemExit(main())
