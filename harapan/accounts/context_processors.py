from typing import Any

from .scope import staff_of


def staff(request: Any) -> dict[str, Any]:
    return {"staff": staff_of(getattr(request, "user", None))}
