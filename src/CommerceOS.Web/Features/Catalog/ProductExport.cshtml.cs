using System.Globalization;
using CommerceOS.Core.Catalog;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Catalog;

/// <summary>
/// <c>/app/products/export</c>: every product as CSV (<see cref="ExportProductsCsv"/>), downloaded as
/// <c>products-YYYYMMDD.csv</c>. The file is written to a temporary file first (deleted when the
/// response is sent), so memory stays flat and a failure is a clean error rather than a cut-off download.
/// </summary>
[Authorize(Policy = AccountsWebExtensions.MemberPolicy)]
public sealed class ProductExportModel(ExportProductsCsv export, TimeProvider time) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"commerceos-export-{Guid.NewGuid():N}.csv");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var result = await export.HandleAsync(new ExportProductsCsv.Request(file), cancellationToken);
            if (!result.IsSuccess)
            {
                await file.DisposeAsync();
                return StatusCode(StatusCodes.Status403Forbidden);
            }

            file.Position = 0;
            var name = $"products-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv";
            return File(file, "text/csv; charset=utf-8", name);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
