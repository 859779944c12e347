using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Orders.Tests.Infrastructure;

namespace Orders.Tests.Tiers;

/// <summary>
/// What a method can reach, read from the IL of every method it calls in this repository's assemblies (lambdas, async
/// state machines and type initializers included): a process start, and which program that process is.
/// Calls through an interface or a delegate handed in from elsewhere are not followed.
/// </summary>
public sealed class ReachedNeeds
{
    private static readonly OpCode[] OneByteOpCodes = new OpCode[0x100];
    private static readonly OpCode[] TwoByteOpCodes = new OpCode[0x100];

    /// <summary>String literals that name the program a process runs, by file name (<c>/usr/bin/python3</c> too).</summary>
    private static readonly Dictionary<string, Need> ProgramNames = new(StringComparer.Ordinal)
    {
        ["python3"] = Need.Python,
        ["podman"] = Need.Podman,
        ["initdb"] = Need.PostgreSql,
        ["node"] = Need.Node,
    };

    private readonly Dictionary<MethodBase, (Need Needs, List<MethodBase> Callees)> direct = [];

    static ReachedNeeds()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            var value = (ushort)opCode.Value;
            if (value < 0x100)
            {
                OneByteOpCodes[value] = opCode;
            }
            else if ((value & 0xff00) == 0xfe00)
            {
                TwoByteOpCodes[value & 0xff] = opCode;
            }
        }
    }

    /// <summary>Everything reachable from <paramref name="roots"/>.</summary>
    public Need From(IEnumerable<MethodBase> roots)
    {
        var needs = (Need)0;
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>(roots.Select(Definition));
        while (pending.TryPop(out var method))
        {
            if (!seen.Add(method))
            {
                continue;
            }

            var (own, callees) = Direct(method);
            needs |= own;
            callees.ForEach(pending.Push);
        }

        // A program's name where nothing starts a process names a file (a fake initdb in a temp folder), not a run.
        return (needs & (Need.Process | Need.AppHost | Need.Chromium)) == 0 ? 0 : needs;
    }

    private static bool IsOurs(Assembly assembly) => assembly.GetName().Name!.StartsWith("Orders", StringComparison.Ordinal);

    private static MethodBase Definition(MethodBase method) => method.Module.ResolveMethod(method.MetadataToken)!;

    private (Need Needs, List<MethodBase> Callees) Direct(MethodBase method)
    {
        if (direct.TryGetValue(method, out var known))
        {
            return known;
        }

        var needs = (Need)0;
        var callees = new List<MethodBase>();
        if (method.DeclaringType == typeof(ReachedNeeds))
        {
            // Its own program names are data to look for, not programs it runs.
            return direct[method] = (needs, callees);
        }

        if (method.GetCustomAttribute<StateMachineAttribute>() is { } stateMachine)
        {
            callees.Add(stateMachine.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!);
        }

        if (method.DeclaringType?.TypeInitializer is { } initializer)
        {
            callees.Add(initializer);
        }

        foreach (var (operandType, token) in Operands(method.GetMethodBody()?.GetILAsByteArray() ?? []))
        {
            if (operandType == OperandType.InlineString)
            {
                needs |= ProgramNames.GetValueOrDefault(Path.GetFileName(method.Module.ResolveString(token)));
            }
            else if (operandType == OperandType.InlineMethod && Resolve(method, token) is { } callee)
            {
                needs |= Marks(callee);
                if (IsOurs(callee.Module.Assembly))
                {
                    callees.Add(Definition(callee));
                }
            }
        }

        return direct[method] = (needs, callees);
    }

    /// <summary>What calling <paramref name="callee"/> means on its own, wherever it is declared.</summary>
    private static Need Marks(MethodBase callee)
    {
        var type = callee.DeclaringType;
        var ns = type?.Namespace ?? "";
        return type == typeof(System.Diagnostics.Process) && callee.Name == nameof(System.Diagnostics.Process.Start) ? Need.Process
            : ns.StartsWith("Microsoft.Playwright", StringComparison.Ordinal) ? Need.Chromium
            : ns.StartsWith("Aspire.Hosting.Testing", StringComparison.Ordinal) || type?.Name == "AppHostProcess" ? Need.AppHost
            : 0;
    }

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            var typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            return method.Module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception exception) when (exception is ArgumentException or TypeLoadException or FileNotFoundException or MissingMemberException)
        {
            // A member of an assembly not loadable here (a framework part the tests never run) cannot start anything of ours.
            return null;
        }
    }

    /// <summary>Each instruction's operand kind and, for 4-byte operands, its token.</summary>
    private static IEnumerable<(OperandType Kind, int Token)> Operands(byte[] il)
    {
        var at = 0;
        while (at < il.Length)
        {
            var opCode = il[at] == 0xfe ? TwoByteOpCodes[il[++at]] : OneByteOpCodes[il[at]];
            at++;
            var kind = opCode.OperandType;
            var token = kind is OperandType.InlineString or OperandType.InlineMethod ? BitConverter.ToInt32(il, at) : 0;
            yield return (kind, token);
            at += kind switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
        }
    }
}
