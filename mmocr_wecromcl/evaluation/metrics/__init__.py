# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
