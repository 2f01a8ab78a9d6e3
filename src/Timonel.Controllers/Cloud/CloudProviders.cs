using Timonel.Controllers.Cloud.Local;

namespace Timonel.Controllers.Cloud;

/// <summary>
/// The providers <c>--cloud-provider</c> can name (upstream's cloudprovider.RegisterCloudProvider): each a factory
/// from the settings to a provider. Built in: <c>local</c>. A real cloud's provider is a class implementing
/// <see cref="ICloudProvider"/>, added here under its name (see README.md, "Cloud providers").
/// </summary>
public static class CloudProviders
{
    public const string Local = LocalCloudProvider.ProviderName;

    private static readonly Dictionary<string, Func<CloudProviderSettings, ICloudProvider>> _factories = new(StringComparer.Ordinal)
    {
        [Local] = settings => new LocalCloudProvider(settings),
    };

    public static IReadOnlyCollection<string> Names => _factories.Keys;

    /// <summary>
    /// The provider <paramref name="name"/> names, made from <paramref name="settings"/>; an unknown name or bad
    /// settings are a <see cref="FormatException"/> saying so.
    /// </summary>
    public static ICloudProvider Create(string name, CloudProviderSettings settings) =>
        _factories.TryGetValue(name, out var factory)
            ? factory(settings)
            : throw new FormatException($"unknown cloud provider \"{name}\" (known: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))})");
}
