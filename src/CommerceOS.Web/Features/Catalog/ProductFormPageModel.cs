using System.Globalization;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Catalog;

/// <summary>
/// What the new-product and edit-product pages share: the bound <see cref="ProductForm"/>, the brand
/// list, error mapping and the "add row" button. Results from Core are shown, never re-decided here.
/// </summary>
public abstract class ProductFormPageModel(AppDbContext db, WorkspaceContext workspace, ListBrands listBrands, IStringLocalizer localizer) : PageModel
{
    public const int BlankAttributeRows = 2;
    public const int BlankVariantRows = 2;

    [BindProperty]
    public ProductForm Form { get; set; } = new();

    /// <summary>Set by the "add row" buttons: <c>attribute</c> or <c>variant</c>. The form is shown again, nothing is saved.</summary>
    [BindProperty]
    public string? AddRow { get; set; }

    public IReadOnlyList<ListBrands.Item> Brands { get; private set; } = [];

    /// <summary>Categories already used in the workspace, offered as suggestions.</summary>
    public IReadOnlyList<string> Categories { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    /// <summary>An alert shown above the form (conflicts, refused uploads, forbidden actions).</summary>
    public string? Alert { get; protected set; }

    /// <summary>A success message after a redirect.</summary>
    public string? Notice { get; protected set; }

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    protected IStringLocalizer Localizer => localizer;

    protected AppDbContext Db => db;

    public string Message(FieldError error) => localizer[error.Code, [.. error.Args]];

    protected async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var brands = await listBrands.HandleAsync(new ListBrands.Request(), cancellationToken);
        Brands = brands.IsSuccess ? brands.Value : [];
        Categories = await ProductCategories.ListAsync(db, cancellationToken);
    }

    protected void PadRows() =>
        Form.PadRows(BlankAttributeRows, BlankVariantRows, ProductForm.DefaultCurrencyFor(CultureInfo.CurrentUICulture.Name));

    /// <summary>Handles the "add row" buttons: true when the form only needs to be shown again.</summary>
    protected bool HandleAddRow()
    {
        switch (AddRow)
        {
            case "attribute":
                Form.Attributes.Add(new AttributeRow());
                return true;
            case "variant":
                Form.Variants.Add(new VariantRow { Currency = ProductForm.DefaultCurrencyFor(CultureInfo.CurrentUICulture.Name) });
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Errors in values the form could not even read: Core validates the rest too, so the user sees
    /// every problem at once, but nothing is saved.
    /// </summary>
    protected async Task<bool> RejectUnreadableAsync(ParsedForm parsed, CancellationToken cancellationToken)
    {
        if (parsed.ParseErrors.Count == 0)
        {
            return false;
        }

        var coreErrors = await ProductValidator.ValidateAsync(db, parsed.Input.Normalized(), cancellationToken);
        var readable = coreErrors.Where(e => !parsed.ParseErrors.Any(p => Overlaps(p.Field, e.Field)));
        ShowErrors(parsed.ParseErrors.Concat(readable).ToList(), parsed);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return true;
    }

    /// <summary>Shows a failed Core result on the form and sets the matching status code.</summary>
    protected void ShowFailure(ResultStatus status, IReadOnlyList<FieldError> errors, ParsedForm? parsed)
    {
        Response.StatusCode = status switch
        {
            ResultStatus.Invalid => StatusCodes.Status400BadRequest,
            ResultStatus.Conflict => StatusCodes.Status409Conflict,
            ResultStatus.Forbidden => StatusCodes.Status403Forbidden,
            ResultStatus.NotFound => StatusCodes.Status404NotFound,
            ResultStatus.Success => StatusCodes.Status200OK,
            _ => StatusCodes.Status400BadRequest,
        };
        if (errors.Any(e => e.Code == CatalogErrors.EditConflict))
        {
            Alert = localizer[CatalogErrors.EditConflict];
            return;
        }

        ShowErrors(errors, parsed);
    }

    protected IActionResult ForbiddenPage()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Alert = localizer[CommonErrors.Forbidden];
        return Page();
    }

    private void ShowErrors(IReadOnlyList<FieldError> errors, ParsedForm? parsed)
    {
        foreach (var error in errors)
        {
            Errors.Add(error, Message(error), parsed);
        }
    }

    // "variants[0].price" (unreadable) and Core's "variants[0].priceMinor" are the same box.
    private static bool Overlaps(string parseField, string coreField) =>
        coreField == parseField || (parseField.EndsWith(".price", StringComparison.Ordinal) && coreField == parseField + "Minor");
}
