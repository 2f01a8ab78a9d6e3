using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.Api.Objects;

/// <summary>
/// How deeply objects may nest. Upstream's decoders stop at 10,000 levels; here every reader of an object (validation,
/// patching, field ownership, the JSON writer, which gives up at 1,000 levels) walks it recursively on a thread-pool
/// stack, so bodies and patch results stop at 512 levels, far beyond any real object and well within what an object
/// wrapped in a list or a watch event can be written with.
/// </summary>
public static class NestingLimit
{
    public const int MaxDepth = 512;

    /// <summary>
    /// How deep JSON the server reads back or writes may be: an object at <see cref="MaxDepth"/> wrapped in a list,
    /// watch event or table. System.Text.Json's own default (64) would refuse a free-form custom-resource field that
    /// upstream accepts, after the body carrying it was accepted.
    /// </summary>
    public const int EnvelopeDepth = MaxDepth + 16;

    /// <summary>Options for reading stored or served JSON at <see cref="EnvelopeDepth"/>.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = EnvelopeDepth };

    /// <summary>Options for scanning stored or served JSON at <see cref="EnvelopeDepth"/>.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new() { MaxDepth = EnvelopeDepth };

    /// <summary>Options for writing JSON at <see cref="EnvelopeDepth"/>.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new() { MaxDepth = EnvelopeDepth };

    /// <summary>Whether <paramref name="node"/> nests deeper than <see cref="MaxDepth"/> (a scalar is depth 0).</summary>
    public static bool Exceeded(JsonNode? node) => Exceeds(node, MaxDepth);

    private static bool Exceeds(JsonNode? node, int remaining) => node switch
    {
        JsonObject obj => remaining == 0 || obj.Any(p => Exceeds(p.Value, remaining - 1)),
        JsonArray array => remaining == 0 || array.Any(item => Exceeds(item, remaining - 1)),
        _ => false,
    };
}
