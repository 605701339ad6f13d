"""Drives Drover's MLflow-compatible registry with the official MLflow Python client and checks every answer.

Run by MlflowPythonClientTest with MLFLOW_TRACKING_URI pointing at a running model-registry service and
MLFLOW_TRACKING_USERNAME/PASSWORD set (the principal). Argument: a prefix that makes this run's model names unique.
Prints one line per check; exits non-zero at the first failed check.
"""
import sys
import warnings

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

# Stages are deprecated in MLflow but still served; keep the output to the checks.
warnings.filterwarnings("ignore", category=FutureWarning)

PREFIX = sys.argv[1]
USER = sys.argv[2]
client = MlflowClient()


def check(what, actual, expected):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")
    print(f"ok  {what}")


def check_error(what, call, error_code, message_part):
    try:
        call()
    except MlflowException as e:
        check(f"{what} (error code)", e.error_code, error_code)
        if message_part not in e.message:
            raise AssertionError(f"{what}: message {e.message!r} does not contain {message_part!r}")
        print(f"ok  {what} (message)")
        return
    raise AssertionError(f"{what}: expected {error_code}, but the call succeeded")


churn = f"{PREFIX}-churn"
fraud = f"{PREFIX}-fraud"

# --- registered models ---
model = client.create_registered_model(churn, tags={"team": "fraud"}, description="predicts churn")
check("create: name", model.name, churn)
check("create: tags", model.tags, {"team": "fraud"})
check("create: description", model.description, "predicts churn")
check("create: timestamps are epoch millis", model.creation_timestamp > 1_600_000_000_000, True)
client.create_registered_model(fraud, tags={"team": "fraud"})
check_error("create twice", lambda: client.create_registered_model(churn), "RESOURCE_ALREADY_EXISTS", churn)
check_error("get unknown model", lambda: client.get_registered_model(f"{PREFIX}-nope"),
            "RESOURCE_DOES_NOT_EXIST", f"Registered Model with name={PREFIX}-nope not found")

check("update model description",
      client.update_registered_model(churn, description="predicts monthly churn").description,
      "predicts monthly churn")
check("updated description is read back", client.get_registered_model(churn).description, "predicts monthly churn")

client.set_registered_model_tag(churn, "owner", "alice")
client.delete_registered_model_tag(churn, "team")
check("model tags after set and delete", client.get_registered_model(churn).tags, {"owner": "alice"})

# --- model versions ---
v1 = client.create_model_version(churn, "s3://bucket/churn/1", run_id="run-1", tags={"validated": "no"},
                                 description="first")
v2 = client.create_model_version(churn, "s3://bucket/churn/2", run_id="run-2")
v3 = client.create_model_version(churn, "gs://other/churn/3", run_id="run-3")
client.create_model_version(fraud, "s3://bucket/fraud/1", run_id="run-2")
check("versions are numbered 1, 2, 3 (strings)", [v1.version, v2.version, v3.version], ["1", "2", "3"])
check("version: source", v1.source, "s3://bucket/churn/1")
check("version: run_id", v1.run_id, "run-1")
check("version: status", v1.status, "READY")
check("version: stage", v1.current_stage, "None")
check("version: user_id is the signed-in account", v1.user_id, USER)
check("version: tags", v1.tags, {"validated": "no"})
check_error("a version of a model that does not exist",
            lambda: client.create_model_version(f"{PREFIX}-nope", "s3://x", run_id="r"),
            "RESOURCE_DOES_NOT_EXIST", f"{PREFIX}-nope")
check_error("get unknown version", lambda: client.get_model_version(churn, "99"),
            "RESOURCE_DOES_NOT_EXIST", f"Model Version (name={churn}, version=99) not found")

check("version description", client.get_model_version(churn, "1").description, "first")
check("update version description",
      client.update_model_version(churn, "1", description="first, retrained").description, "first, retrained")
check("updated version description is read back", client.get_model_version(churn, "1").description,
      "first, retrained")
client.set_model_version_tag(churn, "2", "validated", "yes")
client.delete_model_version_tag(churn, "1", "validated")
check("version tags after set", client.get_model_version(churn, "2").tags, {"validated": "yes"})
check("version tags after delete", client.get_model_version(churn, "1").tags, {})
check("download uri", client.get_model_version_download_uri(churn, "3"), "gs://other/churn/3")

# --- aliases ---
client.set_registered_model_alias(churn, "champion", "2")
client.set_registered_model_alias(churn, "challenger", 3)
champion = client.get_model_version_by_alias(churn, "champion")
check("alias resolves", champion.version, "2")
check("version lists its aliases", champion.aliases, ["champion"])
check("model lists its aliases", client.get_registered_model(churn).aliases, {"champion": "2", "challenger": "3"})
client.delete_registered_model_alias(churn, "challenger")
check_error("deleted alias", lambda: client.get_model_version_by_alias(churn, "challenger"),
            "RESOURCE_DOES_NOT_EXIST", "Registered model alias challenger not found")
check_error("reserved alias name", lambda: client.set_registered_model_alias(churn, "latest", "1"),
            "INVALID_PARAMETER_VALUE", "latest")

# --- stages ---
check("transition to Production",
      client.transition_model_version_stage(churn, "2", "Production").current_stage, "Production")
client.transition_model_version_stage(churn, "3", "staging")
client.transition_model_version_stage(churn, "1", "Production", archive_existing_versions=True)
check("archive_existing_versions archived the old Production version",
      client.get_model_version(churn, "2").current_stage, "Archived")
check("latest Production version", [v.version for v in client.get_latest_versions(churn, stages=["Production"])],
      ["1"])
check("latest version of every stage",
      sorted((v.current_stage, v.version) for v in client.get_latest_versions(churn)),
      [("Archived", "2"), ("Production", "1"), ("Staging", "3")])
check("registered model's latest_versions",
      sorted(v.version for v in client.get_registered_model(churn).latest_versions), ["1", "2", "3"])
check_error("unknown stage", lambda: client.transition_model_version_stage(churn, "1", "Live"),
            "INVALID_PARAMETER_VALUE", "Invalid Model Version stage: Live")

# --- searches ---
mine = f"name LIKE '{PREFIX}-%'"
check("search models by name pattern", [m.name for m in client.search_registered_models(filter_string=mine)],
      [churn, fraud])
check("search models by tag", [m.name for m in client.search_registered_models(
    filter_string=f"{mine} AND tags.owner = 'alice'")], [churn])
check("search models ordered by name DESC", [m.name for m in client.search_registered_models(
    filter_string=mine, order_by=["name DESC"])], [fraud, churn])
first = client.search_registered_models(filter_string=mine, max_results=1)
check("first page of models", [m.name for m in first], [churn])
check("first page has a token", first.token is not None, True)
second = client.search_registered_models(filter_string=mine, max_results=1, page_token=first.token)
check("second page of models", [m.name for m in second], [fraud])
check("last page has no token", bool(second.token), False)

check("search versions by run_id IN", sorted((v.name, v.version) for v in client.search_model_versions(
    f"run_id IN ('run-2', 'run-3') AND {mine}")), [(churn, "2"), (churn, "3"), (fraud, "1")])
check("search versions by number and order", [v.version for v in client.search_model_versions(
    f"name = '{churn}' AND version_number >= 2", order_by=["version_number ASC"])], ["2", "3"])
check("search versions by tag", [v.version for v in client.search_model_versions(
    f"name = '{churn}' AND tags.validated = 'yes'")], ["2"])
check("search versions by source", [v.version for v in client.search_model_versions(
    f"name = '{churn}' AND source_path LIKE 'gs://%'")], ["3"])
pages, token, seen = 0, None, []
while True:
    page = client.search_model_versions(f"name = '{churn}'", max_results=2, order_by=["version_number DESC"],
                                        page_token=token)
    seen += [v.version for v in page]
    pages += 1
    token = page.token
    if not token:
        break
check("paging through versions", (pages, seen), (2, ["3", "2", "1"]))
check_error("malformed filter", lambda: client.search_model_versions("name = unquoted"),
            "INVALID_PARAMETER_VALUE", "expected a quoted string value")
check_error("OR in a filter", lambda: client.search_registered_models(filter_string="name = 'a' OR name = 'b'"),
            "INVALID_PARAMETER_VALUE", "OR is not supported")
check_error("unknown order_by key", lambda: client.search_registered_models(order_by=["stage ASC"]),
            "INVALID_PARAMETER_VALUE", "Invalid order by key 'stage'")

# --- what the event-sourced registry refuses ---
check_error("delete a version", lambda: client.delete_model_version(churn, "1"), "NOT_IMPLEMENTED",
            "transition-stage")
check_error("delete a model", lambda: client.delete_registered_model(churn), "NOT_IMPLEMENTED", "Archive")
check_error("rename a model", lambda: client.rename_registered_model(churn, f"{PREFIX}-renamed"),
            "NOT_IMPLEMENTED", "Renaming a registered model is not supported")
check("the model is still there", client.get_registered_model(churn).name, churn)

print("ALL CHECKS PASSED")
