import sys

from network_bot.cli import main

sys.exit(main())
