namespace Timonel.ApiServer.Registry;

/// <summary>A strategy that writes through a subresource other than status (CSR approval): its name, as admission sees it.</summary>
public interface ISubresourceStrategy
{
    string Subresource { get; }
}
