using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// What the server hands every subresource handler: handlers are declared in the resource catalog, before the
/// server's parts exist, so they take these per request instead of holding them.
/// </summary>
public sealed record SubresourceServices(StoreRegistry Registry, PatchHandler Patches, FieldValidation FieldValidation, TokenRequestHandler TokenRequests, TimeProvider Time, Kubelets.KubeletConnector Kubelets);
