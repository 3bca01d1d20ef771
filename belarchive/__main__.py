from belarchive.cli import main

raise SystemExit(main())
