#!/usr/bin/env python3
"""Cross-language check of Orders.Client: a plain grpcio server of ecommerce.OrderManagement, as the original was.

Usage: orders_server.py <port, 0 for any> <path to order_management.proto> [lifetime in seconds, 120 by default]
Serves h2c on 127.0.0.1 with the semantics of docs/contract.md in memory (sample orders 101-104, processOrders batches
of 3, x-orders-delay-ms fault injection, google.rpc error details). Prints "listening <port>" once ready; stops on
SIGTERM, and by itself after a hard lifetime limit so it can never outlive a test run.
"""
import math
import signal
import sys
import threading
import time
import uuid
from concurrent import futures

import grpc

import orders_stubs

BATCH_SIZE = 3
LIFETIME_SECONDS = 120
DELAY_HEADER = "x-orders-delay-ms"


def main(port, proto_path, lifetime_seconds=LIFETIME_SECONDS):
    orders_stubs.generate(proto_path)
    import order_management_pb2 as pb
    import order_management_pb2_grpc as pb_grpc
    import rpc_details_pb2 as details
    from google.protobuf import empty_pb2, wrappers_pb2

    def abort(context, code, message, detail):
        status = details.Status(code=code.value[0], message=message)
        status.details.add().Pack(detail)
        context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
        context.abort(code, message)

    def not_found(context, order_id, message):
        abort(context, grpc.StatusCode.NOT_FOUND, message, details.ResourceInfo(resource_type="order", resource_name=order_id))

    def delay(context):
        """Fault injection: wait as long as x-orders-delay-ms says, unless the call ends first."""
        milliseconds = dict(context.invocation_metadata()).get(DELAY_HEADER)
        if milliseconds is None:
            return
        until = time.monotonic() + int(milliseconds) / 1000
        while context.is_active() and time.monotonic() < until:
            time.sleep(0.01)

    class OrderManagement(pb_grpc.OrderManagementServicer):
        def __init__(self):
            self.lock = threading.Lock()
            # dicts keep insertion order, and replacing a value keeps its place: the stable order searches stream in.
            self.orders = {}
            for order_id, items in (("101", ["Item - A", "Item - B"]), ("102", ["Item - C"]),
                                    ("103", ["Item - A", "Item - E"]), ("104", ["Item - F", "Item - G"])):
                self.orders[order_id] = pb.Order(id=order_id, items=items, price=1000, description="Sample order description.")

        def addOrder(self, request, context):
            delay(context)
            violations = []
            if not request.items:
                violations.append(("items", "An order needs at least one item."))
            if request.price < 0 or math.isnan(request.price) or math.isinf(request.price):
                violations.append(("price", "The price must be a finite number, zero or more."))
            if violations:
                bad = details.BadRequest(field_violations=[details.BadRequest.FieldViolation(field=f, description=d) for f, d in violations])
                abort(context, grpc.StatusCode.INVALID_ARGUMENT, "Invalid order.", bad)
            order = pb.Order()
            order.CopyFrom(request)
            order.id = uuid.uuid4().hex
            with self.lock:
                self.orders[order.id] = order
            return wrappers_pb2.StringValue(value=order.id)

        def getOrder(self, request, context):
            delay(context)
            with self.lock:
                order = self.orders.get(request.value)
            if order is None:
                not_found(context, request.value, f"Order {request.value} not found.")
            return order

        def searchOrders(self, request, context):
            delay(context)
            with self.lock:
                matches = [o for o in self.orders.values() if any(request.value in item for item in o.items)]
            for order in matches:
                if not context.is_active():
                    return
                yield order

        def updateOrders(self, request_iterator, context):
            delay(context)
            received = list(request_iterator)
            with self.lock:
                for order in received:
                    self.orders[order.id] = order
            return wrappers_pb2.StringValue(value="Updated IDs: " + " ".join(o.id for o in received))

        def processOrders(self, request_iterator, context):
            delay(context)
            pending, found = {}, 0
            for order_id in request_iterator:
                if not context.is_active():
                    return
                with self.lock:
                    order = self.orders.get(order_id.value)
                if order is None:
                    yield pb.CombinedShipment(id=uuid.uuid4().hex, status="NOT_FOUND", ordersList=[pb.Order(id=order_id.value)])
                    continue
                pending.setdefault(order.destination, []).append(order)
                found += 1
                if found % BATCH_SIZE == 0:
                    yield from shipments(pending)
                    pending = {}
            yield from shipments(pending)

        def deleteOrder(self, request, context):
            delay(context)
            with self.lock:
                removed = self.orders.pop(request.value, None)
            if removed is None:
                not_found(context, request.value, f"Order with ID {request.value} not found")
            return empty_pb2.Empty()

    def shipments(pending):
        for orders in pending.values():
            yield pb.CombinedShipment(id=uuid.uuid4().hex, status="PROCESSED", ordersList=orders)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    pb_grpc.add_OrderManagementServicer_to_server(OrderManagement(), server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(f"listening {bound}", flush=True)
    stopped.wait(lifetime_seconds)
    server.stop(grace=1).wait()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], *(int(seconds) for seconds in sys.argv[3:4]))
