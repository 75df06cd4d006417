"""Building blocks of the report model: the strict frozen base class, `x_` extension keys, shared scalar types."""

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    Strict,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from ..expr.names import shown_name

EXTENSION_PREFIX = "x_"
IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


class _After(AfterValidator):
    """`AfterValidator` of a one-argument function: skips pydantic's signature inspection at
    every use (hundreds of fields share these validators; the first validation builds them all)."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.func, handler(source_type))  # type: ignore[arg-type]


#: the longest name a report may define (a name is typed, not data)
MAX_NAME = 100


def _identifier(value: str) -> str:
    if len(value) > MAX_NAME:
        raise ValueError(
            f"'{shown_name(value)}' is too long for a name: at most {MAX_NAME} characters"
        )
    if not IDENTIFIER_RE.fullmatch(value):
        raise ValueError(
            f"'{shown_name(value)}' is not a valid name: use letters, digits and _ and do not "
            "start with a digit"
        )
    return value


def _color(value: str) -> str:
    if not COLOR_RE.fullmatch(value):
        raise ValueError(
            f"'{shown_name(value)}' is not a colour: write it as #rgb or #rrggbb (e.g. #1f2937)"
        )
    return value


def _three_decimals(value: float) -> float:
    # files hold at most 3 decimals; rounding on load keeps load -> save -> load equal
    return round(value, 3)


Text = Annotated[str, Strict()]
Flag = Annotated[bool, Strict()]
Int = Annotated[int, Strict()]
Number = Annotated[float, Strict(), _After(_three_decimals)]
Identifier = Annotated[
    str,
    Strict(),
    _After(_identifier),
    Field(json_schema_extra={"pattern": IDENTIFIER_RE.pattern}),
]
Color = Annotated[
    str, Strict(), _After(_color), Field(json_schema_extra={"pattern": COLOR_RE.pattern})
]
Expression = Annotated[str, Strict(), Field(min_length=1)]
Length = Annotated[float, Strict(), _After(_three_decimals)]  # points; negative allowed


def _still_positive(value: float) -> float:
    # 0.0004 is > 0 but rounds to 0: it would be saved as 0, which the next load refuses
    if value <= 0:
        raise PydanticCustomError("greater_than", "Input should be greater than {gt}", {"gt": 0})
    return value


PositiveLength = Annotated[
    float, Strict(), Field(gt=0), _After(_three_decimals), _After(_still_positive)
]
#: a font size in points: above 0 once rounded, at most 1000
FontSize = Annotated[
    float, Strict(), Field(gt=0, le=1000), _After(_three_decimals), _After(_still_positive)
]
NonNegativeLength = Annotated[float, Strict(), Field(ge=0), _After(_three_decimals)]

FieldType = Literal["string", "integer", "decimal", "float", "boolean", "date", "datetime", "bytes"]
Align = Literal["left", "center", "right", "justify"]
VAlign = Literal["top", "middle", "bottom"]


class AshrModel(BaseModel):
    """Base of every object in an `.ashr` file: frozen, unknown keys refused, `x_` keys kept."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        validate_default=False,
        defer_build=True,  # only the classes in use build a schema (import time)
        use_enum_values=True,
    )

    _extensions: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_extensions(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        extensions: dict[str, Any] = {}
        if isinstance(data, dict):
            extensions = {
                k: v
                for k, v in data.items()
                if isinstance(k, str)
                and k.startswith(EXTENSION_PREFIX)
                and k not in cls.model_fields  # a chart's x_label is a key, not an extension
            }
            if extensions:
                data = {k: v for k, v in data.items() if k not in extensions}
        instance = handler(data)
        if extensions:
            instance._extensions = extensions
        return instance

    @model_serializer(mode="wrap")
    def _write_extensions(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data = handler(self)
        for key, value in data.items():
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                data[key] = int(value)  # 36, not 36.0: lengths read like the spec's examples
        if self._extensions:
            data.update(self._extensions)
        return data

    @property
    def extensions(self) -> dict[str, Any]:
        """The `x_` keys this object was loaded with (a copy)."""
        return dict(self._extensions)

    def replace(self, **changes: Any) -> "AshrModel":
        """A validated copy with some fields changed; extension keys are carried over."""
        data = self.model_dump(mode="python", exclude_unset=False, round_trip=True)
        data.update(changes)
        return type(self).model_validate(data)
