using System.Reflection;
using Orders.Tests.Infrastructure;
using OrdersAspire.TestHarness;
using Xunit.Sdk;

namespace Orders.Tests.Tiers;

/// <summary>
/// Every test declares with <see cref="RequiresAttribute"/> exactly what its code reaches: the in-process tier
/// (<c>Requires!=Process</c>) starts no program, and a test that starts one says which.
/// </summary>
public sealed class DeclaredNeedsTests
{
    private static readonly Assembly Tests = typeof(DeclaredNeedsTests).Assembly;

    [Fact]
    public void EveryTestDeclaresWhatItsCodeStarts()
    {
        var reached = new ReachedNeeds();
        var tests = TestMethods().ToList();
        var wrong = tests
            .Select(test => (test, Declared: Declared(test), Reached: Reached(reached, test)))
            .Where(check => check.Declared != check.Reached)
            .Select(check => $"{check.test.DeclaringType!.Name}.{check.test.Name}: declares [{check.Declared}], reaches [{check.Reached}]")
            .ToList();

        Assert.NotEmpty(tests);
        Assert.True(wrong.Count == 0, $"{wrong.Count} tests declare other needs than their code has:\n{string.Join('\n', wrong)}");
    }

    [Fact]
    public void ReachedNeedsFindsEachKindOfProgram()
    {
        var reached = new ReachedNeeds();

        Assert.Equal(Need.Process | Need.Python, reached.From([typeof(PythonOrdersServer).GetMethod(nameof(PythonOrdersServer.InitializeAsync))!]));
        Assert.Equal(Need.Process | Need.PostgreSql, reached.From([typeof(PostgresServer).GetMethod(nameof(PostgresServer.InitializeAsync))!]));
        Assert.Equal((Need)0, reached.From([typeof(FreePort).GetMethod(nameof(FreePort.Next))!]));
    }

    /// <summary>An AppHost test may also declare PostgreSQL: the AppHost runs it, out of the scan's sight.</summary>
    private static Need Reached(ReachedNeeds reached, MethodInfo test)
    {
        var needs = Normalized(reached.From(Roots(test)));
        return needs.HasFlag(Need.AppHost) ? needs | (Declared(test) & Need.PostgreSql) : needs;
    }

    private static Need Normalized(Need needs) => needs == 0 ? 0 : needs | Need.Process;

    private static Need Declared(MethodInfo test) =>
        Normalized((test.GetCustomAttribute<RequiresAttribute>()?.Needs ?? 0) | (test.DeclaringType!.GetCustomAttribute<RequiresAttribute>(inherit: false)?.Needs ?? 0));

    private static IEnumerable<MethodInfo> TestMethods() =>
        Tests.GetTypes().Where(type => type.IsClass && !type.IsAbstract)
            .SelectMany(type => type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public))
            .Where(method => method.GetCustomAttribute<FactAttribute>() is not null);

    /// <summary>The test method with what xunit runs around it: its class's construction and lifetime, and its fixtures'.</summary>
    private static IEnumerable<MethodBase> Roots(MethodInfo test)
    {
        var type = test.DeclaringType!;
        var fixtures = type.GetInterfaces().Where(IsFixture).Select(fixture => fixture.GetGenericArguments()[0])
            .Concat(CollectionFixtures(type));
        return [test, .. new[] { type }.Concat(fixtures).SelectMany(Lifetime)];
    }

    private static bool IsFixture(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IClassFixture<>) || type.GetGenericTypeDefinition() == typeof(ICollectionFixture<>));

    private static IEnumerable<Type> CollectionFixtures(Type testClass)
    {
        var name = testClass.GetCustomAttribute<CollectionAttribute>() is { } collection
            ? testClass.GetCustomAttributesData().First(data => data.AttributeType == typeof(CollectionAttribute)).ConstructorArguments[0].Value as string
            : null;
        return Tests.GetTypes()
            .Where(type => name is not null && type.GetCustomAttributesData().Any(data =>
                data.AttributeType == typeof(CollectionDefinitionAttribute) && data.ConstructorArguments.Any(argument => Equals(argument.Value, name))))
            .SelectMany(type => type.GetInterfaces().Where(IsFixture).Select(fixture => fixture.GetGenericArguments()[0]));
    }

    /// <summary>Construction, IAsyncLifetime and disposal of <paramref name="type"/> and its base classes.</summary>
    private static IEnumerable<MethodBase> Lifetime(Type type)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var constructor in current.GetConstructors(Declared))
            {
                yield return constructor;
            }

            foreach (var method in current.GetMethods(Declared).Where(method => method.Name is "InitializeAsync" or "DisposeAsync" or "Dispose"
                || method.Name.EndsWith(".InitializeAsync", StringComparison.Ordinal) || method.Name.EndsWith(".DisposeAsync", StringComparison.Ordinal)))
            {
                yield return method;
            }
        }
    }
}
