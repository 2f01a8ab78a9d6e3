using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;
using Timonel.OpenApiGen.Protobuf;

namespace Timonel.OpenApiGen;

/// <summary>
/// Generates the files the API server embeds (src/Timonel.ApiServer/OpenApi/Generated/) from the KubernetesClient model
/// classes and their XML documentation: /openapi/v2 (JSON and gnostic's protobuf), the /openapi/v3 index and one v3 document per group-version, the
/// manifest of their hashes, and the field catalog for unknown-field detection.
/// </summary>
public static class OpenApiGenerator
{
    private static readonly JsonSerializerOptions _compact = new() { WriteIndented = false };

    public static IReadOnlyList<GeneratedFile> Generate(IReadOnlyList<ResourceDefinition> resources)
    {
        var models = new KubernetesModels();
        var documents = new List<(OpenApiDocument Document, byte[] Json)>();
        var protobufs = new List<GeneratedFile>();
        OpenApiDocument Add(string path, JsonObject content, Func<byte[], byte[]>? protobuf = null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(content, _compact);
            // kube-openapi's handler3 names documents by the upper-case hex SHA-512 of their bytes.
            var document = new OpenApiDocument(path, Convert.ToHexString(SHA512.HashData(json)), json.Length);
            if (protobuf is not null)
            {
                var bytes = protobuf(json);
                document = document with { ProtobufLength = bytes.Length };
                protobufs.Add(new GeneratedFile(GeneratedFiles.Protobuf(path), bytes));
            }

            documents.Add((document, json));
            return document;
        }

        // /openapi/v2 also in protobuf, made from the served JSON bytes as kube-openapi makes it (ToProtoBinary).
        Add("v2", new DocumentWriter(models, v3: false).Write(resources), json => GnosticEncoder.EncodeDocument(JsonNode.Parse(json)!));
        // One v3 document per group-version, in the order the catalog first names each.
        var groupVersions = resources.GroupBy(V3Path).Select(g => (Path: g.Key, Resources: g.ToList())).ToList();
        var index = new JsonObject();
        var v3 = groupVersions.Select(gv => Add("v3/" + gv.Path, new DocumentWriter(models, v3: true).Write(gv.Resources))).ToList();
        foreach (var (gv, document) in groupVersions.Zip(v3))
        {
            index[gv.Path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv.Path}?hash={document.Hash}" };
        }

        Add("v3", new JsonObject { ["paths"] = index });
        // Served and listed in the manifest as: v2, the v3 index, the group-versions.
        var ordered = documents.OrderBy(d => d.Document.Path switch { "v2" => 0, "v3" => 1, _ => 2 }).ToList();
        return
        [
            .. ordered.Select(d => new GeneratedFile(GeneratedFiles.Document(d.Document.Path), d.Json)),
            .. protobufs,
            new GeneratedFile(GeneratedFiles.Manifest, OpenApiManifest.Write(ordered.Select(d => d.Document))),
            new GeneratedFile(GeneratedFiles.Fields, new FieldCatalogBuilder(models).Build(resources)),
        ];
    }

    private static string V3Path(ResourceDefinition resource) =>
        resource.Group.Length == 0 ? $"api/{resource.Version}" : $"apis/{resource.Group}/{resource.Version}";
}
