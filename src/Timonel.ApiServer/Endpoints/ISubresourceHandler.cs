namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Serves one subresource of a resource, declared by a <see cref="Registry.SubresourceDefinition"/>. Called only for a
/// verb the declaration lists; the handler writes the whole answer or throws a StatusException.
/// </summary>
public interface ISubresourceHandler
{
    Task HandleAsync(SubresourceRequest request);
}
