using System.Text.Json;
using System.Text.Json.Serialization;

namespace Talk.Kit.Interactive.Views;

/// <summary>The <c>application/json</c> form of every report: the record itself, camelCase, enums by name.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN/∞ stay valid JSON strings
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
