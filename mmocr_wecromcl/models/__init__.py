# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
from .encoders import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .localizers import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .module_losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .postprocessors import *  # noqa: F401,F403
from .spotters import *  # noqa: F401,F403
from .text_encoders import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
