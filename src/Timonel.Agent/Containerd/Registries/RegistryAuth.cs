namespace Timonel.Agent.Containerd.Registries;

/// <summary>Credentials for a registry: username and password, a base64 user:password <c>auth</c>, or an identity token.</summary>
public sealed class RegistryAuth
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? Auth { get; set; }

    public string? IdentityToken { get; set; }
}
