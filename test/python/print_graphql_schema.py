"""Prints the installed MLflow's GraphQL schema (graphene's SDL) as one JSON string.

Used by test/integration/graphql.test.ts to check the gateway's copy in
src/filter/graphql/schema.ts against the MLflow it runs in front of.
"""
import json

from mlflow.server.graphql.graphql_schema_extensions import schema

print(json.dumps(str(schema)))
