;;; probe.el --- driver of the Emacs editor test (test/editors/emacs.test.ts)  -*- lexical-binding: t -*-
;; Run after init.el in batch mode. Opens $KUBEFED_FILE (web.yaml of a copy of test/editors/fixture)
;; and, through eglot as a user would: waits for the diagnostics (flymake), asks for the hover
;; (what eldoc shows), applies the quick fix (`eglot-code-actions', as M-x eglot-code-action-quickfix),
;; completes a new placement entry (`completion-at-point''s table). Writes what it saw as JSON to
;; $KUBEFED_OUT.
(require 'json)
(defvar kfed-out nil)
(defvar kfed-timeout (/ (string-to-number (or (getenv "KUBEFED_TIMEOUT_MS") "30000")) 1000.0))
(defun kfed-put (key value) (setq kfed-out (append kfed-out (list (cons key value)))))

(defun kfed-idle ()
  "Run the idle timers, as an interactive Emacs does when the user stops typing.
A batch Emacs is never idle, and eglot sends didChange, and flymake asks for diagnostics, from idle timers."
  (dolist (timer (copy-sequence timer-idle-list))
    (when (memq timer timer-idle-list)
      (cancel-timer timer)
      (with-demoted-errors "idle timer: %S"
        (save-current-buffer (apply (timer--function timer) (timer--args timer)))))))

(defun kfed-wait (what pred)
  (let ((deadline (+ (float-time) kfed-timeout)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (kfed-idle))
    (unless (funcall pred) (error "timed out waiting for %s" what))))

(defun kfed-diagnostics ()
  (mapcar (lambda (d)
            (list (cons 'line (1- (line-number-at-pos (flymake-diagnostic-beg d))))
                  (cons 'col (save-excursion (goto-char (flymake-diagnostic-beg d)) (current-column)))
                  (cons 'type (symbol-name (flymake-diagnostic-type d)))
                  (cons 'text (flymake-diagnostic-text d))))
          (flymake-diagnostics)))

(defun kfed-has (needle)
  (seq-some (lambda (d) (string-match-p (regexp-quote needle) (flymake-diagnostic-text d))) (flymake-diagnostics)))

(defun kfed-goto (needle)
  (goto-char (point-min))
  (search-forward needle)
  (goto-char (match-beginning 0)))

(defun kfed-run ()
  (find-file (getenv "KUBEFED_FILE"))
  (run-hooks 'post-command-hook) ; eglot-ensure connects after the command that opened the file
  (kfed-wait "eglot to connect" (lambda () (bound-and-true-p eglot--managed-mode)))
  (kfed-put 'server (plist-get (eglot--server-info (eglot-current-server)) :name))
  (kfed-wait "the unknown-cluster diagnostic" (lambda () (kfed-has "Unknown cluster")))
  (kfed-put 'diagnostics (kfed-diagnostics))
  ;; hover: what eldoc shows at point
  (kfed-goto "name: cluster1")
  (forward-char (length "name: "))
  (let (hover)
    (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info ""))))
    (kfed-wait "the hover" (lambda () hover))
    (kfed-put 'hover (substring-no-properties hover)))
  ;; the quick fix of the unknown cluster
  (kfed-goto "name: clustr2")
  (forward-char (length "name: "))
  (eglot-code-actions (point) (+ (point) (length "clustr2")) "quickfix" t)
  (kfed-put 'fixedLine (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
  (kfed-wait "the unknown-cluster diagnostic to go" (lambda () (not (kfed-has "Unknown cluster"))))
  ;; completion of a new placement entry
  (kfed-goto "- name: cluster1")
  (end-of-line)
  (insert "\n    - name: ")
  (let* ((capf (eglot-completion-at-point))
         (table (nth 2 capf)))
    (kfed-put 'completion (all-completions "" table)))
  (kfed-put 'lenses (if (eglot--server-capable :codeLensProvider) "offered by the server; eglot shows none" "none")))

(let ((code 0))
  (condition-case err
      (kfed-run)
    (error
     (kfed-put 'error (error-message-string err))
     ;; the end of eglot's log of the protocol, to see why
     (let ((s (eglot-current-server)))
       (when s
         (with-current-buffer (jsonrpc-events-buffer s)
           (kfed-put 'events (buffer-substring-no-properties (max (point-min) (- (point-max) 6000)) (point-max))))))
     (setq code 3)))
  (with-temp-file (getenv "KUBEFED_OUT") (insert (json-encode kfed-out)))
  (let ((s (eglot-current-server))) (when s (ignore-errors (eglot-shutdown s))))
  (kill-emacs code))
;;; probe.el ends here
