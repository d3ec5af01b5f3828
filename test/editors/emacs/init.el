;;; init.el --- Emacs (eglot) configuration for the KubeFed language server  -*- lexical-binding: t -*-
;; What the README shows, used by the editor test with `emacs --batch -q -l init.el -l probe.el'
;; (-q: no user init file; the site start files, which make Debian's elpa-* packages loadable, run).
;; Eglot is built into Emacs >= 29; on Emacs 28 it is the package `eglot' (Debian: elpa-eglot),
;; and YAML needs `yaml-mode' (Debian: elpa-yaml-mode; Emacs 29 also has `yaml-ts-mode').
;; The server's path comes from KUBEFED_SERVER (dist/server.js), node from KUBEFED_NODE.
(require 'eglot)
(require 'yaml-mode)
(add-to-list 'eglot-server-programs
             `((yaml-mode yaml-ts-mode)
               . (,(or (getenv "KUBEFED_NODE") "node") ,(or (getenv "KUBEFED_SERVER") "dist/server.js") "--stdio"
                  ;; the settings of the "Workspace" table in server/lsp/README.md
                  :initializationOptions (:kubeconfig :json-false))))
(add-hook 'yaml-mode-hook #'eglot-ensure)
;;; init.el ends here
