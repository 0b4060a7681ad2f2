"""Imports every domain's models: the one module that knows all tables."""

from lms.attempts.models import *  # noqa: F403
from lms.audit.models import *  # noqa: F403
from lms.auth.models import *  # noqa: F403
from lms.courses.models import *  # noqa: F403
from lms.feedback.models import *  # noqa: F403
from lms.mentorship.models import *  # noqa: F403
from lms.notifications.models import *  # noqa: F403
from lms.quizzes.models import *  # noqa: F403
from lms.skills.models import *  # noqa: F403
from lms.users.models import *  # noqa: F403
