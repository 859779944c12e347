using Orders.Client.Commands;

return await OrdersCommandLine.RunAsync(args);
