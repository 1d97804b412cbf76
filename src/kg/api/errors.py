"""One error shape for every 4xx/5xx the API returns:

    {"error": "<code>", "message": "<中文说明>", "message_en": "<English>", "detail": <optional>}
"""
from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, message_en: str, detail: Any = None,
                 headers: dict | None = None):
        super().__init__(f"{code}: {message_en}")
        self.status, self.code, self.message, self.message_en, self.detail = status, code, message, message_en, detail
        self.headers = headers

    def body(self) -> dict:
        out = {"error": self.code, "message": self.message, "message_en": self.message_en}
        if self.detail is not None:
            out["detail"] = self.detail
        return out


def not_found(what_zh: str, what_en: str, key: str) -> ApiError:
    return ApiError(404, "not_found", f"没有找到{what_zh}：{key}", f"{what_en} not found: {key}")
