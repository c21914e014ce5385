<#
.SYNOPSIS
  Intune Remediations (proactive remediation), remediation script: reinstall uvx-safe's shims.

.DESCRIPTION
  Runs `safe shims install --dir` with the installed launcher, so that the machine's uv.exe and
  uvx.exe are the launcher's own bytes again (after an upgrade, a repair, or a uv installer that
  wrote its own uv.exe there). Run as SYSTEM ("Run this script using the logged-on credentials":
  No): the shims live under Program Files. Exit 0 when the shims were installed; otherwise 1, with
  the launcher's own words on standard error. A FAIL that is not about shims (a policy refusal, a
  location where programs cannot run) is not fixed here: detect.ps1 keeps reporting it.
#>
param(
  [string]$Launcher = $(if ($env:ProgramFiles) { Join-Path $env:ProgramFiles 'uvx-safe\uvx-safe.exe' } else { '/opt/uvx-safe/uvx-safe' }),
  # The MSI's shim folder, first on the machine Path (docs/deploy.md).
  [string]$ShimDir = (Join-Path (Split-Path -Parent $Launcher) 'bin')
)

if (-not (Test-Path -LiteralPath $Launcher -PathType Leaf)) {
  Write-Output "uvx-safe is not installed at ${Launcher}: reinstall the MSI"
  exit 1
}

& $Launcher safe shims install --dir $ShimDir
$installExit = $LASTEXITCODE
if ($installExit -ne 0) {
  Write-Output "uvx-safe safe shims install --dir $ShimDir failed (exit $installExit)"
  exit 1
}

Write-Output "uvx-safe shims reinstalled in $ShimDir"
exit 0
