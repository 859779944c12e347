using System.Net.Http.Json;
using System.Text.Json;

namespace Orders.Tests.GrpcInsights;

/// <summary>Reads the insights' JSON API as plain JSON documents, as a script would.</summary>
public static class ApiJson
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) => element.GetProperty(property).EnumerateArray();

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";
}
