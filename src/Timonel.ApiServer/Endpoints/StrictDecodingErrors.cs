using Microsoft.AspNetCore.Http;
using Timonel.Api.Validation;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// The strict decoding errors a request's body or patch showed while it was read (repeated keys), kept for field
/// validation, which refuses them under fieldValidation=Strict or sends them as warnings, as upstream's handlers do
/// with what its strict decoder returns (handlers/create.go, patch.go).
/// </summary>
public static class StrictDecodingErrors
{
    private static readonly object _key = new();

    /// <summary>sigs.k8s.io/json's strictError text: <c>duplicate field "metadata.name"</c>.</summary>
    public static string DuplicateField(string path) => "duplicate field " + GoValue.Quote(path);

    /// <summary>runtime.NewStrictDecodingError's text (apimachinery runtime/error.go).</summary>
    public static string Message(IEnumerable<string> errors) => "strict decoding error: " + string.Join(", ", errors);

    public static void Record(HttpContext context, IEnumerable<string> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            context.Items[_key] = list;
        }
    }

    public static IReadOnlyList<string> Of(HttpContext context) =>
        context.Items.TryGetValue(_key, out var errors) ? (List<string>)errors! : [];
}
