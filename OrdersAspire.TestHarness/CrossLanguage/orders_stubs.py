"""Stubs for the cross-language scripts, generated at start with grpc_tools.protoc (Debian's python3-grpc-tools)."""
import atexit
import os
import shutil
import sys
import tempfile

from grpc_tools import protoc

# Wire-compatible subset of google/rpc/{status,error_details}.proto: the rich error details both sides exchange.
RPC_DETAILS_PROTO = """
syntax = "proto3";
package google.rpc;
import "google/protobuf/any.proto";
message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
message BadRequest {
  message FieldViolation { string field = 1; string description = 2; }
  repeated FieldViolation field_violations = 1;
}
message ResourceInfo { string resource_type = 1; string resource_name = 2; string owner = 3; string description = 4; }
"""


def generate(proto_path):
    """Compiles the contract and the google.rpc details into a temp dir and puts it on sys.path."""
    out = tempfile.mkdtemp(prefix="orders-py-stubs-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    with open(os.path.join(out, "rpc_details.proto"), "w", encoding="utf-8") as f:
        f.write(RPC_DETAILS_PROTO)
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    for proto_dir, proto_file in ((os.path.dirname(proto_path), os.path.basename(proto_path)), (out, "rpc_details.proto")):
        args = ["protoc", f"-I{proto_dir}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", proto_file]
        if protoc.main(args) != 0:
            raise RuntimeError(f"protoc failed for {proto_file}")
    sys.path.insert(0, out)
