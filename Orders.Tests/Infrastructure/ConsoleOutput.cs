namespace Orders.Tests.Infrastructure;

/// <summary>
/// What code that writes to <see cref="Console"/> itself prints, captured by swapping the process's console writers:
/// tests that use it run in <see cref="ConsoleOutputDefinition"/>, alone, so no other test's lines land in the capture.
/// </summary>
public sealed class ConsoleOutput : IDisposable
{
    private readonly TextWriter originalOut = Console.Out;
    private readonly TextWriter originalError = Console.Error;
    private readonly StringWriter stdout = new();
    private readonly StringWriter stderr = new();

    public ConsoleOutput()
    {
        Console.SetOut(stdout);
        Console.SetError(stderr);
    }

    public string Out => stdout.ToString();

    public string Error => stderr.ToString();

    public void Dispose()
    {
        Console.SetOut(originalOut);
        Console.SetError(originalError);
        stdout.Dispose();
        stderr.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleOutputDefinition
{
    public const string Name = "Console output";
}
