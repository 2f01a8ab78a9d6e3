using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>One request to a subresource: the object it addresses, the verb, and what the server offers handlers.</summary>
public sealed record SubresourceRequest(HttpContext Context, GenericStore Store, string? Namespace, string Name, SubresourceDefinition Subresource, string Verb, SubresourceServices Services)
{
    public ResourceDefinition Definition => Store.Definition;

    public CancellationToken CancellationToken => Context.RequestAborted;

    /// <summary>dryRun=All on the write's options kind (upstream's get never looks at it).</summary>
    public bool DryRun => Verb switch
    {
        "update" => QueryParameters.DryRun(Context.Request, "UpdateOptions"),
        "patch" => QueryParameters.DryRun(Context.Request, "PatchOptions"),
        "create" => QueryParameters.DryRun(Context.Request, "CreateOptions"),
        _ => false,
    };
}
