"""Data objects of the report model: data sources, declared fields and run-time parameters."""

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .base import AshrModel, FieldType, Flag, Identifier, Text

NonEmptyText = Annotated[Text, Field(min_length=1)]


class FieldDef(AshrModel):
    """A field a data source provides, with its type."""

    name: NonEmptyText
    type: FieldType


class SqlSource(AshrModel):
    """Rows from an SQL database through SQLAlchemy: a query or a table."""

    kind: Literal["sql"]
    url: NonEmptyText
    query: NonEmptyText | None = None
    table: NonEmptyText | None = None
    fields: tuple[FieldDef, ...] | None = None

    @model_validator(mode="after")
    def _query_or_table(self) -> "SqlSource":
        if (self.query is None) == (self.table is None):
            raise ValueError(
                "give exactly one of 'query' (SQL text) or 'table' (a table or view name)"
            )
        return self


class CsvOptions(AshrModel):
    """How a CSV file is read."""

    delimiter: Annotated[Text, Field(min_length=1, max_length=1)] = ","
    encoding: NonEmptyText = "utf-8"


class CsvSource(AshrModel):
    """Rows from a CSV file with a header row."""

    kind: Literal["csv"]
    path: NonEmptyText
    csv_options: CsvOptions | None = None
    fields: tuple[FieldDef, ...] | None = None


class JsonSource(AshrModel):
    """Rows from a JSON file holding an array of objects."""

    kind: Literal["json"]
    path: NonEmptyText
    fields: tuple[FieldDef, ...] | None = None


DataSource = Annotated[SqlSource | CsvSource | JsonSource, Field(discriminator="kind")]


class Parameter(AshrModel):
    """A value asked for at run time, readable as `params.NAME` and bound into SQL as `:NAME`."""

    name: Identifier
    type: FieldType
    label: Text = ""
    default: Any = None
    required: Flag = False
    choices: tuple[Any, ...] | None = None
