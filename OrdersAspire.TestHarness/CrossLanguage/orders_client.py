#!/usr/bin/env python3
"""Cross-language check of Orders.Api: a plain grpcio client drives all six RPCs over h2c.

Usage: orders_client.py <host:port> <path to order_management.proto>
Stubs are generated at start with grpc_tools.protoc into a temp dir. Prints one JSON object per step.
"""
import json
import queue
import sys
import uuid

import grpc

import orders_stubs


def emit(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def error_fields(error):
    """Code, message and every google.rpc detail of a failed call."""
    import rpc_details_pb2
    fields = {"code": error.code().name, "message": error.details()}
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = rpc_details_pb2.Status.FromString(value)
            for any_detail in status.details:
                if any_detail.Is(rpc_details_pb2.ResourceInfo.DESCRIPTOR):
                    info = rpc_details_pb2.ResourceInfo()
                    any_detail.Unpack(info)
                    fields["resource"] = {"type": info.resource_type, "name": info.resource_name}
                elif any_detail.Is(rpc_details_pb2.BadRequest.DESCRIPTOR):
                    bad = rpc_details_pb2.BadRequest()
                    any_detail.Unpack(bad)
                    fields["violations"] = [v.field for v in bad.field_violations]
    return fields


def main(address, proto_path):
    orders_stubs.generate(proto_path)
    import order_management_pb2 as pb
    import order_management_pb2_grpc as pb_grpc
    from google.protobuf import wrappers_pb2

    def sv(value):
        return wrappers_pb2.StringValue(value=value)

    with grpc.insecure_channel(address) as channel:
        stub = pb_grpc.OrderManagementStub(channel)

        order = stub.getOrder(sv("101"), timeout=10)
        emit("get", id=order.id, items=list(order.items))

        added = stub.addOrder(pb.Order(id="ignored", items=["Py - 1"], price=9.5, destination="Lyon"), timeout=10)
        emit("add", id=added.value, stored_items=list(stub.getOrder(added, timeout=10).items))

        emit("search", ids=[o.id for o in stub.searchOrders(sv("Item - A"), timeout=10)])

        destinations = {"101": "Mountain View, CA", "102": "San Jose, CA", "103": "Mountain View, CA", "104": "San Jose, CA"}
        updates = []
        for order_id, destination in destinations.items():
            current = stub.getOrder(sv(order_id), timeout=10)
            current.destination = destination
            updates.append(current)
        emit("update", reply=stub.updateOrders(iter(updates), timeout=10).value)

        shipments = stub.processOrders(iter([sv(i) for i in ("101", "102", "103", "999", "104")]), timeout=10)
        emit("process", shipments=[[s.status] + [o.id for o in s.ordersList] for s in shipments])

        # Cancellation: the request stream stays open; after the first shipment the client cancels.
        pending = queue.Queue()
        cancel_id = str(uuid.uuid4())
        call = stub.processOrders(iter(pending.get, None), timeout=10, metadata=[("x-request-id", cancel_id)])
        for order_id in ("101", "102", "103"):
            pending.put(sv(order_id))
        first = next(call)
        call.cancel()
        try:
            next(call)
            emit("process_cancel", received=1, code="OK", request_id=cancel_id)
        except grpc.RpcError as error:
            emit("process_cancel", received=1, first=[o.id for o in first.ordersList], code=error.code().name, request_id=cancel_id)
        finally:
            pending.put(None)

        deadline_id = str(uuid.uuid4())
        try:
            # Long enough for the call to reach the server on a busy machine, far shorter than the delay.
            stub.getOrder(sv("101"), timeout=2, metadata=[("x-orders-delay-ms", "30000"), ("x-request-id", deadline_id)])
            emit("deadline", code="OK", request_id=deadline_id)
        except grpc.RpcError as error:
            emit("deadline", code=error.code().name, request_id=deadline_id)

        stub.deleteOrder(sv("104"), timeout=10)
        try:
            stub.getOrder(sv("104"), timeout=10)
            emit("delete", code="OK")
        except grpc.RpcError as error:
            emit("delete", **error_fields(error))

        try:
            stub.addOrder(pb.Order(price=-1), timeout=10)
            emit("invalid", code="OK")
        except grpc.RpcError as error:
            emit("invalid", **error_fields(error))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
