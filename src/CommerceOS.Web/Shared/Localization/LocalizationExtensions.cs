using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Shared.Localization;

public static class LocalizationExtensions
{
    /// <summary>Claim carrying the signed-in user's preferred language; refreshed when they change it.</summary>
    public const string LanguageClaim = "cos:lang";

    public static WebApplicationBuilder AddLocalization(this WebApplicationBuilder builder)
    {
        var catalog = new StringCatalog(Path.Combine(AppContext.BaseDirectory, "Resources"));
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        builder.Services.AddSingleton<IStringLocalizer>(services => new JsonStringLocalizer(services.GetRequiredService<StringCatalog>()));
        builder.Services.AddTransient(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        // Chinese text is written as characters, not numeric entities, so pages stay readable and small.
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = new[] { new CultureInfo(StringCatalog.English), new CultureInfo(StringCatalog.Chinese) };
            options.DefaultRequestCulture = new RequestCulture(StringCatalog.English);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            // The user's saved preference wins, then an explicit switch (cookie), then the browser.
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(
                    context.User.FindFirstValue(LanguageClaim) is { Length: > 0 } language
                        ? new ProviderCultureResult(language)
                        : null)),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>Maps a browser tag such as zh, zh-Hans or zh-TW onto our two UI languages.</summary>
    public static string Normalize(string? language) =>
        language is not null && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase)
            ? StringCatalog.Chinese
            : StringCatalog.English;
}
