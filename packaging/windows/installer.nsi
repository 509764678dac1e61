; Windows installer of Claude Code Companion (NSIS 3, Unicode).
;   makensis /DVERSION=20261128-abc1234 /DPAYLOAD=<dir> /DOUTFILE=<setup.exe> packaging\windows\installer.nsi
; PAYLOAD holds claude-code-companion.exe (and the DLLs it needs), admin\ (the browser admin) and
; config.yaml (the default configuration, `claude-code-companion service default-config`).
; Installs into Program Files, keeps config and logs under ProgramData\Claude Code Companion, and
; registers the POCO Windows service (/registerService /startup=auto), which reads its config
; from there. Upgrades and uninstalls never overwrite or delete config.yaml.
; The CI workflow .github/workflows/windows.yml builds the payload; not run on the Linux CI.
Unicode true
!ifndef VERSION
	!define VERSION "0.0.0-dev"
!endif
!ifndef PAYLOAD
	!error "pass /DPAYLOAD=<directory with claude-code-companion.exe, admin\ and config.yaml>"
!endif
!ifndef OUTFILE
	!define OUTFILE "claude-code-companion-${VERSION}-setup.exe"
!endif

!define APPNAME "Claude Code Companion"
!define SERVICE "claude-code-companion"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${SERVICE}"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${UNINSTKEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Install"
	SetShellVarContext all
	; An upgrade replaces a running binary: stop and unregister the old service first.
	${If} ${FileExists} "$INSTDIR\${SERVICE}.exe"
		nsExec::ExecToLog 'sc stop ${SERVICE}'
		nsExec::ExecToLog '"$INSTDIR\${SERVICE}.exe" /unregisterService'
	${EndIf}
	SetOutPath "$INSTDIR"
	File /r "${PAYLOAD}\*.exe"
	File /nonfatal /r "${PAYLOAD}\*.dll"
	SetOutPath "$INSTDIR\admin"
	File /nonfatal /r "${PAYLOAD}\admin\*.*"

	; The configuration lives in ProgramData and is only written when absent.
	CreateDirectory "$APPDATA\${APPNAME}"
	CreateDirectory "$APPDATA\${APPNAME}\logs"
	SetOverwrite off
	SetOutPath "$APPDATA\${APPNAME}"
	File "${PAYLOAD}\config.yaml"
	SetOverwrite on

	WriteUninstaller "$INSTDIR\uninstall.exe"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1

	; POCO's ServerApplication registers itself; the service reads
	; %PROGRAMDATA%\Claude Code Companion\config.yaml when started by the service manager.
	nsExec::ExecToLog '"$INSTDIR\${SERVICE}.exe" /registerService "/displayName=${APPNAME}" /startup=auto'
	Pop $0
	${If} $0 != 0
		DetailPrint "registering the service failed ($0)"
	${EndIf}
	nsExec::ExecToLog 'sc start ${SERVICE}'
SectionEnd

Section "Uninstall"
	SetShellVarContext all
	nsExec::ExecToLog 'sc stop ${SERVICE}'
	nsExec::ExecToLog '"$INSTDIR\${SERVICE}.exe" /unregisterService'
	RMDir /r "$INSTDIR\admin"
	Delete "$INSTDIR\*.exe"
	Delete "$INSTDIR\*.dll"
	RMDir "$INSTDIR"
	DeleteRegKey HKLM "${UNINSTKEY}"
	; config.yaml and the logs in $APPDATA\${APPNAME} are kept (delete the folder by hand).
	DetailPrint "Kept the configuration and logs in $APPDATA\${APPNAME}"
SectionEnd
