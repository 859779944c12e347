using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OrdersAspire.GrpcInsights.Security;

/// <summary>
/// Browser sessions started by logging in with the browser token: the cookie carries a random session id, never the
/// token, and only the id's SHA-256 is held here. Sessions live in memory, so a restart ends them all (log in again
/// with the printed link); each lasts <see cref="Lifetime"/> from login, or until logout.
/// </summary>
public sealed class BrowserSessions(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Only token holders start sessions; this only bounds a script logging in again and again.</summary>
    public const int MaxSessions = 1_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> expiryByIdHash = new(StringComparer.Ordinal);

    public int Count => expiryByIdHash.Count;

    /// <summary>A new session; returns its id, for the cookie.</summary>
    public string Start()
    {
        var now = time.GetUtcNow();
        if (expiryByIdHash.Count >= MaxSessions)
        {
            Prune(now);
        }

        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        expiryByIdHash[Hash(id)] = now + Lifetime;
        return id;
    }

    /// <summary>The id names a session that has not expired nor been ended.</summary>
    public bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || !expiryByIdHash.TryGetValue(Hash(id), out var expires))
        {
            return false;
        }

        if (time.GetUtcNow() < expires)
        {
            return true;
        }

        expiryByIdHash.TryRemove(Hash(id), out _);
        return false;
    }

    public void End(string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            expiryByIdHash.TryRemove(Hash(id), out _);
        }
    }

    /// <summary>Expired sessions go; if none had expired, the oldest does.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (hash, expires) in expiryByIdHash)
        {
            if (expires <= now)
            {
                expiryByIdHash.TryRemove(hash, out _);
            }
        }

        if (expiryByIdHash.Count >= MaxSessions && expiryByIdHash.MinBy(session => session.Value) is { Key: { } oldest })
        {
            expiryByIdHash.TryRemove(oldest, out _);
        }
    }

    // Hashed so a lookup's timing or a memory dump says nothing about a valid cookie value.
    private static string Hash(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
