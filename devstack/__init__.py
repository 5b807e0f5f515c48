"""The local stack: the built site and the API on 127.0.0.1, over a local DynamoDB (moto).

Handlers are the real Lambda handlers, invoked in-process with API Gateway proxy events built from
the SAM template's routes, so what runs here is what runs on AWS minus the AWS services themselves.
"""

import sys
from pathlib import Path

FUNCTIONS_DIR = Path(__file__).resolve().parents[1] / "functions"
if str(FUNCTIONS_DIR) not in sys.path:  # the gateway answers in the functions' error shape (helpcenter.errors)
    sys.path.append(str(FUNCTIONS_DIR))
