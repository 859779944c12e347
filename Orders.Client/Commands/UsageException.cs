namespace Orders.Client.Commands;

/// <summary>Input the command line accepted but the command cannot use (e.g. an update file that is not valid JSON); exits 2.</summary>
public sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);
